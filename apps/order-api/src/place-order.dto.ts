import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Min,
  NotContains,
  ValidateNested,
} from 'class-validator';

/** PostgreSQL cannot store a NUL character in text: a 400 naming the field, before anything is started. */
const NoNul = () => NotContains('\u0000', { message: '$property must not contain NUL characters' });

export class AddressDto {
  @IsString() @NoNul() @IsNotEmpty() @MaxLength(200) street!: string;
  @IsString() @NoNul() @IsNotEmpty() @MaxLength(100) city!: string;
  @IsString() @NoNul() @IsNotEmpty() @MaxLength(20) postalCode!: string;
  @IsString() @NoNul() @Length(2, 2) country!: string;
}

export class OrderItemDto {
  @IsString() @NoNul() @IsNotEmpty() @MaxLength(64) sku!: string;
  @IsInt() @Min(1) quantity!: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) price!: number;
}

/** The body of `POST /orders`. */
export class PlaceOrderDto {
  /** Makes the request idempotent: the same id places the order once. Generated when absent. */
  @IsOptional() @IsUUID() workflowId?: string;
  @IsString() @NoNul() @IsNotEmpty() @MaxLength(64) orderId!: string;
  @IsString() @NoNul() @IsNotEmpty() @MaxLength(64) customerId!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => OrderItemDto) @ArrayMinSize(1) @ArrayMaxSize(100) items!: OrderItemDto[];
  @IsDefined() @ValidateNested() @Type(() => AddressDto) shippingAddress!: AddressDto;
}
